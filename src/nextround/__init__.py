"""nextround: rehearse the conversations that follow a turned-down internal promotion."""

__version__ = "0.1.0"
