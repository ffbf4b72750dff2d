# Read by gunicorn from the working directory (the Docker image's and docker-compose's command).
# The access log keeps the time, the method, the path, the status, the size and the duration, and leaves out:
# - the client's address (gunicorn's default puts it first): the public complaint page promises that visitors'
#   addresses are not kept, and a log line's time matched to a complaint's would undo it;
# - the query string: a name typed in a search box (?q=Maria+Gonzalez) would land in the log files.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
