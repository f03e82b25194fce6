"""Operations: what a user can do, callable from the window, the CLI and tests, without Qt."""
