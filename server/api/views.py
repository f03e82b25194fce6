"""Turning database rows into the protocol's response models."""

from server.db.models import AnonymousSession, User
from server.services.accounts import IssuedToken
from terrain_protocol.auth import AnonymousSessionOut, AuthResponse, UserOut
from terrain_protocol.plans import Role, UserPlan


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        plan=UserPlan(user.plan),
        artist_name=user.artist_name,
        created_at=user.created_at,
    )


def auth_response(issued: IssuedToken) -> AuthResponse:
    return AuthResponse(
        user=user_out(issued.user),
        token=issued.token,
        token_expires_at=issued.expires_at,
        claimed_session_id=issued.claimed_session_id,
    )


def session_out(session: AnonymousSession) -> AnonymousSessionOut:
    return AnonymousSessionOut(
        id=session.id,
        created_at=session.created_at,
        last_seen_at=session.last_seen_at,
        expires_at=session.expires_at,
    )
