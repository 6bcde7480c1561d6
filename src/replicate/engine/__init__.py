"""Rule engines: the durable_rules adapter and the plain-Python reference evaluator, interchangeable
behind `RuleEngine`."""
