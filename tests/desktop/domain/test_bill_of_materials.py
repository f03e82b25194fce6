"""The bill of materials and the cart, as pure values: marks, counts, money and persistence."""

from decimal import Decimal

from terrain_desktop.domain.bill_of_materials import (
    AssetOffer,
    Mark,
    Ownership,
    bill_of_materials,
)
from terrain_desktop.domain.cart import MAX_QUANTITY, Cart, CartLine


def offer(asset_id: str, price: str, artist: str = "a") -> AssetOffer:
    return AssetOffer(asset_id, asset_id.title(), Decimal(price), artist)


OFFERS = {
    "hill": offer("hill", "3.50", "wilds"),
    "wall": offer("wall", "2.50", "forge"),
    "tree": offer("tree", "0.00", "wilds"),
    "tower": offer("tower", "6.00", "forge"),
}


def test_pieces_are_grouped_counted_and_marked() -> None:
    pieces = ["hill", "wall", "wall", "tree", "tree", "tree", "tower", "mine", "gone"]
    owned = Ownership(purchased=frozenset({"tower"}), imported=frozenset({"mine"}))

    bom = bill_of_materials(pieces, OFFERS, owned, {"mine": "My rock"}.get)

    marks = {line.asset_id: (line.count, line.mark) for line in bom.lines}
    assert marks == {
        "hill": (1, Mark.TO_BUY),
        "wall": (2, Mark.TO_BUY),
        "tree": (3, Mark.FREE),
        "tower": (1, Mark.OWNED),
        "mine": (1, Mark.OWNED),
        "gone": (1, Mark.UNAVAILABLE),
    }
    assert [line.mark for line in bom.lines][:2] == [Mark.TO_BUY, Mark.TO_BUY]  # first
    assert bom.total_to_buy == Decimal("8.50") and isinstance(bom.total_to_buy, Decimal)
    assert bom.pieces == 9
    assert "3 piece(s) of 2 asset(s) to buy, 8.50" in bom.summary()
    assert next(line.name for line in bom.lines if line.asset_id == "mine") == "My rock"


def test_own_uploads_are_owned_even_when_priced() -> None:
    bom = bill_of_materials(["wall"], OFFERS, Ownership(uploaded=frozenset({"wall"})))
    assert bom.marks() == {"wall": Mark.OWNED}
    assert bom.to_buy() == [] and bom.total_to_buy == 0
    assert bom.summary() == "You have everything for this table's 1 piece(s)."


def test_the_cart_takes_exactly_the_missing_pieces() -> None:
    bom = bill_of_materials(
        ["hill", "wall", "wall", "tree", "tower"],
        OFFERS,
        Ownership(purchased=frozenset({"tower"})),
    )
    cart = Cart([CartLine("wall", 5), CartLine("other", 1)])
    heard: list[None] = []
    cart.changed.connect(heard.append)

    assert cart.add_missing(bom) == ["hill"]  # wall already had enough

    assert {line.asset_id: line.quantity for line in cart.lines()} == {
        "wall": 5,
        "other": 1,
        "hill": 1,
    }
    assert len(heard) == 1
    assert Cart().add_missing(bom) == ["hill", "wall"]


def test_the_cart_survives_a_round_trip_and_refuses_nonsense() -> None:
    cart = Cart()
    cart.add("hill")
    cart.add("hill", 2)
    cart.set_quantity("wall", 1000)
    cart.add("tree")
    cart.remove("tree")

    again = Cart.from_json(cart.to_json())

    assert [(line.asset_id, line.quantity) for line in again.lines()] == [
        ("hill", 3),
        ("wall", MAX_QUANTITY),
    ]
    assert "price" not in cart.to_json()
    assert len(Cart.from_json("not json")) == 0
    assert len(Cart.from_json('[{"asset_id": "x"}]')) == 0
