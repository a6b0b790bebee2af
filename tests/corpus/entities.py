"""Random PHI values with valid checksums, in the many formats people write them in.

Each generator returns (text, type). Names come from a list written for this corpus, not
from the scanner's dictionaries, and include names the Census lists do not have, so the
evaluation also sees what the dictionaries miss.
"""
import random
import string

FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer",
         "William", "Elizabeth", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
         "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty",
         "Anthony", "Margaret", "Donald", "Sandra", "Steven", "Ashley", "Paul", "Kimberly",
         "Andrew", "Emily", "Joshua", "Donna", "Kenneth", "Michelle", "Kevin", "Carol",
         "Brian", "Amanda", "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
         "Edward", "Rebecca", "Jason", "Laura", "Jeffrey", "Helen", "Ryan", "Sharon",
         "Jacob", "Cynthia", "Gary", "Kathleen", "Nicholas", "Amy", "Eric", "Shirley",
         "Jonathan", "Angela", "Stephen", "Anna", "Larry", "Ruth", "Justin", "Brenda",
         "Scott", "Pamela", "Brandon", "Nicole", "Benjamin", "Katherine", "Samuel", "Virginia",
         "Gregory", "Catherine", "Frank", "Christine", "Alexander", "Samantha", "Raymond",
         "Debra", "Patrick", "Janet", "Jack", "Rachel", "Dennis", "Carolyn", "Jerry", "Emma",
         "Tyler", "Maria", "Aaron", "Heather", "Jose", "Diane", "Adam", "Julie", "Henry",
         "Joyce", "Nathan", "Victoria", "Douglas", "Kelly", "Zachary", "Christina", "Peter",
         "Lauren", "Kyle", "Joan", "Ethan", "Evelyn", "Walter", "Olivia", "Noah", "Judith",
         "Carlos", "Rosa", "Luis", "Ana", "Juan", "Carmen", "Miguel", "Lucia", "Wei", "Mei",
         "Hiroshi", "Yuki", "Ahmed", "Fatima", "Ivan", "Olga", "Mohammed", "Aisha", "Raj",
         "Anita", "Kwame", "Ngozi", "Dmitri", "Sofia", "Mateo", "Camila", "Liam", "Chloe"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
        "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
        "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
        "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards",
        "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers",
        "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly",
        "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez",
        "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez",
        "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
        "Kowalski", "Novak", "Schmidt", "Mueller", "Okafor", "Adeyemi", "Tanaka", "Yamamoto",
        "Chen", "Wang", "Singh", "Kumar", "Ivanova", "Petrov", "Rossi", "Bianchi", "O'Brien",
        "McDonald", "Fitzgerald", "Sullivan", "Haddad", "Nasser", "Cohen", "Levy"]
STREETS = ["Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park",
           "Main", "Church", "Sunset", "River", "Highland", "Jefferson", "Lincoln", "Madison",
           "Franklin", "Walnut", "Chestnut", "Spring", "Willow", "Meadow", "Forest", "Ridge"]
SUFFIXES = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive", "Dr", "Lane", "Ln",
            "Boulevard", "Blvd", "Court", "Ct", "Way", "Place", "Terrace", "Circle"]
CITIES = [("Springfield", "IL"), ("Columbus", "OH"), ("Austin", "TX"), ("Portland", "OR"),
          ("Madison", "WI"), ("Albany", "NY"), ("Raleigh", "NC"), ("Boise", "ID"),
          ("Tucson", "AZ"), ("Fresno", "CA"), ("Omaha", "NE"), ("Tulsa", "OK"),
          ("Des Moines", "IA"), ("Little Rock", "AR"), ("Salt Lake City", "UT"),
          ("Richmond", "VA"), ("Burlington", "VT"), ("Dover", "DE"), ("Savannah", "GA")]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "example.org", "mail.example.com",
           "icloud.com", "protonmail.com", "hotmail.com", "aol.com"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


class Gen:
    def __init__(self, rng: random.Random):
        self.r = rng

    def digits(self, n):
        return "".join(self.r.choice(string.digits) for _ in range(n))

    def first(self):
        return self.r.choice(FIRST)

    def last(self):
        return self.r.choice(LAST)

    def name(self):
        f, l = self.first(), self.last()
        form = self.r.random()
        if form < 0.55:
            return f"{f} {l}"
        if form < 0.7:
            return f"{f} {self.r.choice(string.ascii_uppercase)}. {l}"
        if form < 0.85:
            return f"{l}, {f}"
        return f"{f} {self.first()} {l}"

    def ssn(self):
        while True:
            a, g, s = self.r.randint(1, 899), self.r.randint(1, 99), self.r.randint(1, 9999)
            # 666 is never issued; 123-45-6789 and 987-65-432x are advertising examples.
            if a != 666 and (a, g, s) != (123, 45, 6789) and not (a == 987 and g == 65):
                break
        sep = self.r.choice(["-", "-", "-", " "])
        return f"{a:03d}{sep}{g:02d}{sep}{s:04d}"

    def phone(self):
        a = f"{self.r.randint(2, 9)}{self.r.randint(0, 8)}{self.r.randint(0, 9)}"
        if a[1:] == "11":
            a = a[0] + "23"
        e = f"{self.r.randint(2, 9)}{self.digits(2)}"
        if e[1:] == "11":
            e = e[0] + "45"
        n = self.digits(4)
        return self.r.choice([f"({a}) {e}-{n}", f"{a}-{e}-{n}", f"{a}.{e}.{n}",
                              f"+1 {a} {e} {n}", f"1-{a}-{e}-{n}", f"({a}){e}-{n}"])

    def date(self):
        y, m, d = self.r.randint(1930, 2023), self.r.randint(1, 12), self.r.randint(1, 28)
        return self.r.choice([
            f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}", f"{y}-{m:02d}-{d:02d}",
            f"{MONTHS[m - 1]} {d}, {y}", f"{d} {MONTHS[m - 1]} {y}",
            f"{MONTHS[m - 1][:3]} {d}, {y}", f"{d:02d}-{MONTHS[m - 1][:3]}-{y}",
            f"{m:02d}-{d:02d}-{y}", f"{d}.{m}.{y}" if d > 12 else f"{m}/{d}/{y % 100:02d}"])

    def email(self):
        f, l = self.first().lower(), self.last().lower().replace("'", "")
        local = self.r.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}{l}{self.r.randint(1, 99)}",
                               f"{l}.{f}", f"{f}_{l}"])
        return f"{local}@{self.r.choice(DOMAINS)}"

    def street(self):
        return (f"{self.r.randint(1, 9999)} {self.r.choice(STREETS)} "
                f"{self.r.choice(SUFFIXES)}")

    def address(self):
        city, st = self.r.choice(CITIES)
        zip5 = f"{self.r.randint(10000, 99950)}"
        form = self.r.random()
        if form < 0.5:
            return f"{self.street()}, {city}, {st} {zip5}"
        if form < 0.7:
            return f"{self.street()}, Apt {self.r.randint(1, 40)}{self.r.choice('ABCD')}, {city}, {st} {zip5}"
        if form < 0.85:
            return self.street()
        return f"{city}, {st} {zip5}-{self.digits(4)}"

    @staticmethod
    def luhn_digit(body):
        """The check digit that makes body + digit pass Luhn."""
        total = 0
        for i, ch in enumerate(reversed(body)):
            v = int(ch)
            if i % 2 == 0:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        return str((10 - total % 10) % 10)

    def luhn_complete(self, prefix, length):
        body = prefix + self.digits(length - len(prefix) - 1)
        return body + self.luhn_digit(body)

    def card(self):
        kind = self.r.choice(["4", "51", "55", "37", "6011"])
        n = self.luhn_complete(kind, 15 if kind == "37" else 16)
        if kind == "37":
            return f"{n[:4]} {n[4:10]} {n[10:]}"
        sep = self.r.choice([" ", "-", ""])
        return sep.join(n[i:i + 4] for i in range(0, 16, 4))

    def npi(self):
        # Luhn over the card-issuer prefix 80840 followed by the nine NPI digits.
        base = self.r.choice("12") + self.digits(8)
        return base + self.luhn_digit("80840" + base)

    def dea(self):
        d = [self.r.randint(0, 9) for _ in range(6)]
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return (self.r.choice("ABFGMP") + self.r.choice(string.ascii_uppercase) +
                "".join(map(str, d)) + str(check))

    def mbi(self):
        letters = "ACDEFGHJKMNPQRTUVWXY"
        alnum = letters + string.digits
        s = (str(self.r.randint(1, 9)) + self.r.choice(letters) + self.r.choice(alnum) +
             self.digits(1) + self.r.choice(letters) + self.r.choice(alnum) + self.digits(1) +
             self.r.choice(letters) + self.r.choice(letters) + self.digits(2))
        return s if self.r.random() < 0.6 else f"{s[:4]}-{s[4:7]}-{s[7:]}"

    def vin(self):
        chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        values = {c: v for c, v in zip("ABCDEFGHJKLMNPRSTUVWXYZ",
                                       [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4,
                                        5, 6, 7, 8, 9])}
        weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
        while True:
            v = [self.r.choice(chars) for _ in range(17)]
            total = sum((int(c) if c.isdigit() else values[c]) * w for c, w in zip(v, weights))
            chk = total % 11
            v[8] = "X" if chk == 10 else str(chk)
            s = "".join(v)
            if sum(c.isalpha() for c in s) >= 2 and sum(c.isdigit() for c in s) >= 3:
                return s

    def gtin14(self):
        body = "0" + self.digits(12)
        total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body))
        return body + str((10 - total % 10) % 10)

    def udi(self):
        return f"(01){self.gtin14()}(17){self.r.randint(24, 29)}{self.r.randint(1, 12):02d}28(10){self.r.choice('ABCDEFG')}{self.digits(4)}"

    def mrn(self):
        return self.r.choice([self.digits(8), self.digits(7), "MRN" + self.digits(7),
                              self.r.choice("ABCDEFGH") + self.digits(7), self.digits(10),
                              f"{self.digits(3)}-{self.digits(4)}-{self.digits(2)}"])

    def member(self):
        return self.r.choice([self.r.choice("WXYZ") + self.digits(9),
                              "".join(self.r.choice(string.ascii_uppercase) for _ in range(3)) +
                              self.digits(9), self.digits(11), f"MEM-{self.digits(8)}"])

    def ipv4(self):
        return f"{self.r.randint(11, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def url(self):
        return self.r.choice([
            f"https://mychart.{self.r.choice(['example-health.org', 'stmarys.org', 'valleymed.com'])}/patient/{self.digits(6)}",
            f"https://www.facebook.com/{self.first().lower()}.{self.last().lower()}{self.digits(2)}",
            f"https://portal.example.org/records?mrn={self.digits(8)}",
            f"https://www.linkedin.com/in/{self.first().lower()}-{self.last().lower()}-{self.digits(3)}"])
