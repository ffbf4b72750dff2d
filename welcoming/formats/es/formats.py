# Spanish readers here mostly write amounts as Puerto Rico, the Dominican Republic, Mexico and Central America do,
# and as the United States does: $1,250.50 (Django's Spanish formats follow Spain: 1 250,50). Dates stay Spanish.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
