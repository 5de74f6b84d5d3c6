"""The public app's reads, published revisions only: ``pages`` (the public pages, and the
published state their ETags name) and ``open_data`` (the API's lists and the data feed)."""
