"""The Gherkin step library and its pytest plugin (entry point pytest11 "wcsim")."""
