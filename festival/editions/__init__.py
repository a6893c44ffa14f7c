"""Editions: one year of the festival each, and which one is current."""
