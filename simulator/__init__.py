"""An offline stand-in for the real sources (Weibo mobile API, WeChat articles, a Discuz! forum, a message
board and a 社区通-style portal export), served on 127.0.0.1 from a seeded scenario.

Bottom floor: imports only :mod:`core`. Entry points: :func:`simulator.scenario.load_scenario`,
:class:`simulator.world.World` and :class:`simulator.server.SimServer`.
"""
