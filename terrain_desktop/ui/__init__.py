"""The Qt user interface: windows, docks, dialogs. Depends on everything below; nothing below
depends on it."""
