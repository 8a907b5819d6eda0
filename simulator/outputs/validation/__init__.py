"""The validation of the model against published facts, for people: the folder ``outsim
validate-model`` writes (``report``) and the tables generated into docs/ (``docs``)."""
