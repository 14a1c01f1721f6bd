"""Offline replay of the app's scheduled searches over AWS log files (never shipped)."""
