"""Binds the article's Gherkin features (features/) to the step library of the wcsim plugin."""

from pytest_bdd import scenarios

scenarios("../features")
