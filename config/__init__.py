"""The project: settings, the root URLs (every app's pages and the API's routes) and the WSGI entry point.
The core app (`welcoming`) and the apps it serves are packages of their own beside it."""
