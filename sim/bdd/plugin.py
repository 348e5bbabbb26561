"""The Gherkin step library, loaded by pytest through the pytest11 entry point (being built)."""
