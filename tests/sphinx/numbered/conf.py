project = 'Numbered'
numfig = True
