# The operator's console (/admin).
