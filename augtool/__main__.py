"""``python -m augtool``."""

from augtool.cli import main

if __name__ == "__main__":
    main()
