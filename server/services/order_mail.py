"""The order confirmation e-mail, sent by the worker through SMTP once the order is paid.

The job's idempotency key (one per order) means it is queued once however often Stripe
repeats the payment event; the job ends `done` only after the SMTP server accepted it.
"""

import smtplib
import uuid
from email.message import EmailMessage

from sqlalchemy import select

from server.db.models import Asset, Order, OrderItem
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.settings import Settings


def send_confirmation(job: Claimed, ctx: WorkerContext) -> None:
    order_id = uuid.UUID(job.payload["order_id"])
    with ctx.sessionmaker() as db:
        order = db.get(Order, order_id)
        if order is None:
            return
        lines = db.execute(
            select(OrderItem, Asset.name)
            .join(Asset, Asset.id == OrderItem.asset_id)
            .where(OrderItem.order_id == order.id)
            .order_by(OrderItem.created_at, OrderItem.id)
        ).all()
        message = compose(order, [(name, item) for item, name in lines], ctx.settings)
    deliver(message, ctx.settings)


def compose(order: Order, lines: list[tuple[str, OrderItem]], settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"Your Terrain Builder order {order.order_number}"
    message["From"] = settings.mail_from
    message["To"] = order.customer_email
    message["X-Terrain-Order"] = str(order.id)
    body = [f"Thank you! Order {order.order_number} is paid.", ""]
    for name, item in lines:
        body.append(f"  {item.quantity} x {name}  @ {item.unit_price}  = {item.subtotal}")
    body += [
        "",
        f"Subtotal: {order.subtotal} {order.currency.upper()}",
        f"Shipping: {order.shipping_cost}",
        f"Tax:      {order.tax}",
        f"Total:    {order.total} {order.currency.upper()}",
        "",
        "The model files are in the app under My orders.",
    ]
    message.set_content("\n".join(body))
    return message


def deliver(message: EmailMessage, settings: Settings) -> None:
    with smtplib.SMTP(
        settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
    ) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username and settings.smtp_password:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)
