"""A warm parent for the crash test: Django and the project loaded once, then for each line
"serve PORT THREADS" on stdin a forked child runs the `serve` command (waitress) exactly as
`dianjiao serve` does after its imports, and its pid is printed. The test SIGKILLs the child.

Starting `dianjiao serve` from cold costs 1.5 s (idle) to 6 s (busy machine) of imports per
start; the fork costs milliseconds, so 50 kills fit in CI's time. The parent never opens a
database connection, so no connection crosses a fork."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dianjiao.settings")
    import django

    django.setup()
    import waitress  # noqa: F401  (loaded before the fork)
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    get_wsgi_application()  # middleware and URLconf imported once, in the parent
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (import every view module now)

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "serve":
            port, threads = int(words[1]), int(words[2])
            pid = os.fork()
            if pid == 0:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                try:
                    call_command("serve", port=port, threads=threads)
                finally:
                    os._exit(1)
            print(pid, flush=True)
        elif words[0] == "reap":
            while True:
                try:
                    if os.waitpid(-1, os.WNOHANG) == (0, 0):
                        break
                except ChildProcessError:
                    break
            print("ok", flush=True)


if __name__ == "__main__":
    main()
