"""kamtui: key account management in the terminal."""
