"""The ceremony's awards: what the jury watches and, later, scores and the palmarès."""
