#!/usr/bin/env python
from byline.cli import main

if __name__ == "__main__":
    main()
