"""The console: FastAPI + server-rendered templates; every asset bundled (no CDN). Entry: ``web.app.create_app``."""
