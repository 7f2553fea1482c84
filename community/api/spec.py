def build_spec():
    return {"openapi": "3.1.0", "paths": {}}
