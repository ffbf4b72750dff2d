# Amounts in Simplified Chinese are grouped by thousands with a comma (1,250.50), as banks and government write
# them; Django's formats leave them ungrouped.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
