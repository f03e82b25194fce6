#!/bin/sh
# As the official nginx image: NGINX_LOCAL_RESOLVERS is the container's own DNS servers (from
# /etc/resolv.conf), and each /etc/nginx/templates/NAME.template becomes /etc/nginx/conf.d/NAME
# with the environment's variables filled in (only those defined: nginx's own $vars stay).
set -eu
NGINX_LOCAL_RESOLVERS=$(awk 'BEGIN{ORS=" "} $1=="nameserver" {print ($2 ~ ":") ? "["$2"]" : $2}' /etc/resolv.conf)
export NGINX_LOCAL_RESOLVERS
defined=$(env | cut -d= -f1 | sed 's/^/${/; s/$/}/' | tr '\n' ' ')
for template in /etc/nginx/templates/*.template; do
    [ -e "$template" ] || continue
    name=$(basename "$template" .template)
    envsubst "$defined" < "$template" > "/etc/nginx/conf.d/$name"
done
exec "$@"
