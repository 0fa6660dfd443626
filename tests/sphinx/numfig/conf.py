project = 'Numfig'
numfig = True
numfig_format = {'table': 'Tbl. %s'}
