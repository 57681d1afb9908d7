"""`dianjiao demo`: a deterministic demo township (福海县乌伦古乡) for trying the system out."""
