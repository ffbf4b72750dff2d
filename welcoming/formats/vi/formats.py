# Vietnamese groups thousands with a dot (1.250,50); Django's formats name the dot but leave grouping off.
NUMBER_GROUPING = 3
