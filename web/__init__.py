"""The web layer: blueprints, security, session state and presenters. It only displays what rules/ decides."""
