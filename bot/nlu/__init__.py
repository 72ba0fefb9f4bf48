"""Vietnamese NLU graph components for Rasa 3 (tokenizer, normalisation, featurisation)."""
