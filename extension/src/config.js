// Written by the build (extension/build.py): the server address the popup suggests.
export const DEFAULT_SERVER = "https://jobtrax.example";
