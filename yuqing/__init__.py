"""The application shell: the `yuqing` CLI and the scheduler daemon, which wire the wings together."""
