"""Trợ lý công dân: shared library code for the Rasa components, actions and channels."""
