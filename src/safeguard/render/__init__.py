"""Renderers: turn result documents into text, JSON and files. They never decide anything."""
