from festival import create_app

app = create_app()
