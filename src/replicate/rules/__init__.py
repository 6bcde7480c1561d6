"""The rule language: rule files, the condition syntax, its checker and the rule base."""
