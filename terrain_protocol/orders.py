"""Orders, payments and the Pro plan on the wire.

The server prices every order line from the catalogue; a price a client sends is accepted (so a
stale cart never fails) and ignored. Money travels as decimal strings (`"12.50"`), never as a
float, and both sides read it as `Decimal`.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, Field, StrictInt, StringConstraints, computed_field

from terrain_protocol.wire import WireRequest

#: Where an order is. It only moves forward: pending → paid → (fulfilled) → refunded /
#: partially_refunded, or pending → cancelled (the checkout expired or the payment failed).
OrderStatus = Literal["pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded"]
#: Statuses after which nothing about the order changes any more.
FINAL_ORDER_STATUSES: frozenset[str] = frozenset({"cancelled", "refunded"})
#: Statuses whose buyer may download the order's files.
PAID_ORDER_STATUSES: frozenset[str] = frozenset({"paid", "fulfilled", "partially_refunded"})

MAX_ORDER_LINES = 100
MAX_LINE_QUANTITY = 100

Money = Annotated[Decimal, Field(ge=0, le=Decimal("99999999.99"), decimal_places=2)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OptionalText200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class OrderLineRequest(WireRequest):
    """One piece the buyer wants, `quantity` times."""

    #: The catalogue asset's id. `model_id`, the original system's name, is still accepted
    #: until the next version (see CHANGELOG.md).
    asset_id: uuid.UUID = Field(validation_alias=AliasChoices("asset_id", "model_id"))
    #: A JSON integer: `"2"`, `2.0` and `true` are refused, not read as numbers.
    quantity: StrictInt = Field(default=1, ge=1, le=MAX_LINE_QUANTITY)
    #: Ignored: the server prices every line from the catalogue.
    unit_price: Money | None = None


class ShippingAddress(WireRequest):
    """Where printed pieces go. Optional: Stripe Checkout also collects the address."""

    name: Text200
    line1: Text200
    line2: OptionalText200 | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    state: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    postal_code: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)
    ]
    #: ISO 3166-1 alpha-2, upper case ("US", "DE").
    country: Country


class CreateOrderRequest(WireRequest):
    """`POST /api/orders`. The same asset twice is one line with the quantities added."""

    items: Annotated[list[OrderLineRequest], Field(min_length=1, max_length=MAX_ORDER_LINES)]
    shipping: ShippingAddress | None = None


class CreateOrderResponse(BaseModel):
    order_id: uuid.UUID
    order_number: str
    #: Stripe Checkout's page for this order: open it in the system browser.
    checkout_url: str


class _AssetIdOut(BaseModel):
    """An answer naming an asset: `asset_id`, with `model_id` (the original system's name)
    still sent beside it until the next version, for clients not yet updated."""

    asset_id: uuid.UUID

    @computed_field(  # type: ignore[prop-decorator]
        description="Deprecated: the same as asset_id, sent until the next version."
    )
    @property
    def model_id(self) -> uuid.UUID:
        return self.asset_id


class OrderLineOut(_AssetIdOut):
    id: uuid.UUID
    name: str
    artist_id: uuid.UUID
    artist_name: str | None
    thumbnail_url: str | None
    quantity: int
    unit_price: Decimal
    subtotal: Decimal


class OrderFile(_AssetIdOut):
    """An original model file the buyer of a paid order may download."""

    name: str
    filename: str
    #: Relative to the server: `GET` it with the buyer's token.
    download_url: str


class OrderOut(BaseModel):
    id: uuid.UUID
    order_number: str
    status: OrderStatus
    currency: str
    lines: list[OrderLineOut]
    subtotal: Decimal
    shipping_cost: Decimal
    tax: Decimal
    total: Decimal
    shipping: ShippingAddress | None
    #: The Checkout page while the order is pending, else None.
    checkout_url: str | None
    created_at: datetime
    paid_at: datetime | None
    #: Empty until the order is paid.
    files: list[OrderFile]


class OrderResponse(BaseModel):
    order: OrderOut


class OrderList(BaseModel):
    """The caller's orders, newest first."""

    orders: list[OrderOut]


class OwnedAssets(BaseModel):
    """`GET /api/orders/owned-assets`: what the caller need not buy again.

    `purchased` holds assets of the caller's paid orders; `uploaded` their own uploads. The
    desktop's bill of materials marks these *owned*.
    """

    purchased: list[uuid.UUID]
    uploaded: list[uuid.UUID]

    def all(self) -> set[uuid.UUID]:
        return {*self.purchased, *self.uploaded}


class ProCheckoutResponse(BaseModel):
    """`POST /api/account/pro/checkout`: a subscription Checkout page for the Pro plan."""

    checkout_url: str
    session_id: str


class PlanOut(BaseModel):
    """`GET /api/account/plan`: the caller's plan and how many tables it allows."""

    plan: Literal["user_free", "pro"]
    table_limit: int
    #: Active tables beyond the limit: readable, not editable, never deleted.
    read_only_tables: list[uuid.UUID]


class OnboardingResponse(BaseModel):
    """`POST /api/artists/me/stripe/onboard`: open `url` in the system browser."""

    url: str
    stripe_account_id: str
    onboarding_complete: bool


class ParkedJob(BaseModel):
    """A background job that failed too often and waits for an operator (admins only)."""

    id: int
    kind: str
    attempts: int
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


class ParkedJobList(BaseModel):
    jobs: list[ParkedJob]
