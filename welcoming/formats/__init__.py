"""Date and number formats (FORMAT_MODULE_PATH) where Django's do not fit our readers: Haitian Creole, which
Django does not describe; the grouping of thousands where Django leaves it off; amounts in Spanish as Spanish
readers in Massachusetts write them. Django's own formats fill in whatever a module here leaves out."""
