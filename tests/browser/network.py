"""The browser reaches only the live server: tiles and anything else outside are refused."""


def offline(context, live_server) -> list[str]:
    """Abort every request that leaves the live server; the list collects their URLs."""
    outside = []

    def only_our_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_our_server)
    return outside
