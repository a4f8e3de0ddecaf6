.PHONY: assets

# Rebuild internal/web/static/app.<hash>.css from web/scss (needs node and npm).
assets:
	scripts/build-assets.sh
