#!/usr/bin/env python
from dianjiao.cli import main

if __name__ == "__main__":
    main()
