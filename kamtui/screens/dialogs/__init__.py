"""Modal dialogs shared by every view."""
