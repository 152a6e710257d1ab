"""Byline: a self-hosted newsroom platform."""
