"""The public app's views: ``pages`` (what people read: the home page and search, a fact
check, its appearances, share image and Atom feed, the about pages, the sitemap) and
``open_data`` (the ClaimReview data feed, the embeddable card and oEmbed, the API's page)."""
