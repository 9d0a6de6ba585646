"""Every domain operation and calculation. No Textual here (see tests/test_layers.py)."""
