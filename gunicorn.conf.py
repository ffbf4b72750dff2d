# Read by gunicorn from the working directory (the Docker image's and docker-compose's command).
# The access log leaves out the client's address (gunicorn's default puts it first): the public complaint page
# promises that visitors' addresses are not kept, and a log line's time matched to a complaint's would undo it.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
