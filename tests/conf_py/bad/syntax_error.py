project = "broken"
version = "1.0"
extensions = ["a",
    "b"
release = "2"
