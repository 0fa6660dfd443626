project = 'Numfig off'
