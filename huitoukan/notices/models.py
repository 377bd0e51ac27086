"""Models of huitoukan.notices."""
