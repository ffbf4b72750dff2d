"""Date and number formats (FORMAT_MODULE_PATH): Haitian Creole, which Django does not describe, and the grouping
of thousands where Django leaves it off. Django's own formats fill in whatever a module here leaves out."""
