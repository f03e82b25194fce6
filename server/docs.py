"""The interactive API docs, served from files installed with the server (no CDN), so they
work offline and leak no visits to third parties."""

from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS = "/docs"
STATIC = f"{DOCS}/static"


def install_docs(app: FastAPI) -> None:
    """Swagger UI at /docs; the app must be made with `docs_url=None, redoc_url=None`."""
    files = Path(swagger_ui_bundle.swagger_ui_path)
    app.mount(STATIC, StaticFiles(directory=files), name="docs-static")

    @app.get(DOCS, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} – API docs",
            swagger_js_url=f"{STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC}/favicon-32x32.png",
            oauth2_redirect_url=f"{DOCS}/oauth2-redirect",
            # No validator badge: it would fetch an image from the validator's host.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(f"{DOCS}/oauth2-redirect", include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
