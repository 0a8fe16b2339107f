from mtdetect.cli import main

main()
